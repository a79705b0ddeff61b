package dev.spawntelemetry.store.postgres;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The two kinds of transaction of the PostgreSQL backend.
 *
 * @param writes read committed, for what locks the state and writes
 * @param consistentReads read-only repeatable read: every query sees the same committed
 * state, so a version and the rows read with it agree
 */
record Transactions(TransactionTemplate writes, TransactionTemplate consistentReads) {

	static Transactions on(DataSource dataSource) {
		JdbcTransactionManager manager = new JdbcTransactionManager(dataSource);
		TransactionTemplate consistentReads = new TransactionTemplate(manager);
		consistentReads.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		consistentReads.setReadOnly(true);
		return new Transactions(new TransactionTemplate(manager), consistentReads);
	}

}
