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
 * The kinds of transaction of the PostgreSQL backend, in one place because each kind is a
 * promise. The service's own are bounded inside the database: a transaction that waits
 * for a lock longer than {@code lock-timeout}, or runs a statement longer than its
 * statement bound, is rolled back by the database itself, so that the answer given for it
 * ("not applied", "unavailable") is the truth and no request holds a connection longer
 * than its bound. Two transaction managers, because the bounds are set as a transaction
 * begins: one with {@code statement-timeout} for writes and the reads a write needs, one
 * with {@code read-timeout} for the aggregates of a time window, which may read far more
 * rows. An operator's import ({@link #forImport}) is the one kind without bounds.
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

	/**
	 * The transaction of {@code telemetry.import.file}, an operator's command run before
	 * the service starts: a file of any size is imported whole or not at all, however
	 * long that takes, so it has no bounds.
	 */
	static TransactionTemplate forImport(DataSource dataSource) {
		return new TransactionTemplate(new JdbcTransactionManager(dataSource));
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
