package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The kinds of transaction of the PostgreSQL backend, each bounded inside the database: a
 * transaction that waits for a lock longer than {@code lock-timeout}, or runs a statement
 * longer than its statement bound, is rolled back by the database itself, so that the
 * answer given for it ("not applied") is the truth.
 *
 * @param writes read committed, for what locks the state and writes
 * @param consistentReads read-only repeatable read: every query sees the same committed
 * state, so a version and the rows read with it agree
 * @param windowReads like {@code consistentReads}, for the aggregates of a time window,
 * with the longer bound of {@code read-timeout}
 */
record Transactions(TransactionTemplate writes, TransactionTemplate consistentReads, TransactionTemplate windowReads) {

	static Transactions on(DataSource dataSource, PostgresStorageProperties bounds) {
		BoundedTransactionManager writer = new BoundedTransactionManager(dataSource, bounds.lockTimeout(),
				bounds.statementTimeout());
		BoundedTransactionManager reader = new BoundedTransactionManager(dataSource, bounds.lockTimeout(),
				bounds.readTimeout());
		return new Transactions(new TransactionTemplate(writer), consistentReads(writer), consistentReads(reader));
	}

	private static TransactionTemplate consistentReads(JdbcTransactionManager manager) {
		TransactionTemplate consistentReads = new TransactionTemplate(manager);
		consistentReads.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		consistentReads.setReadOnly(true);
		return consistentReads;
	}

	/**
	 * Sets the bounds of each transaction as it begins, for that transaction alone.
	 */
	private static final class BoundedTransactionManager extends JdbcTransactionManager {

		private final String bounds;

		BoundedTransactionManager(DataSource dataSource, Duration lockTimeout, Duration statementTimeout) {
			super(dataSource);
			this.bounds = "SET LOCAL lock_timeout = " + lockTimeout.toMillis() + "; SET LOCAL statement_timeout = "
					+ statementTimeout.toMillis();
		}

		@Override
		protected void prepareTransactionalConnection(Connection connection, TransactionDefinition definition)
				throws SQLException {
			super.prepareTransactionalConnection(connection, definition);
			try (Statement statement = connection.createStatement()) {
				statement.execute(this.bounds);
			}
		}

	}

}
