package dev.spawntelemetry.store.postgres;

import java.sql.SQLException;

import dev.spawntelemetry.telemetry.StorageUnavailableException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * What a failure of the database means for a write: cancelled at a bound of its
 * transaction (not in time), the database or the way to it gone (unavailable, and maybe
 * committed all the same), or a statement refused (left to the writer).
 */
final class DatabaseFailures {

	/** The SQLSTATE of a lock not taken within {@code lock_timeout}. */
	private static final String LOCK_NOT_AVAILABLE = "55P03";

	/**
	 * The SQLSTATE of a statement cancelled, by {@code statement_timeout} among others.
	 */
	private static final String QUERY_CANCELED = "57014";

	private DatabaseFailures() {
	}

	/**
	 * A read or a transaction that failed before writing: for want of the database, the
	 * batch is refused as storage unavailable; anything else is left to the writer.
	 */
	static RuntimeException unavailableOrAsIs(RuntimeException ex) {
		if (cancelledByTheDatabase(ex)) {
			return notInTime(ex);
		}
		return connectionLost(ex) ? unavailable(ex) : ex;
	}

	static StorageUnavailableException notInTime(RuntimeException ex) {
		return StorageUnavailableException.notInTime("The database did not take the write in time: " + rootMessage(ex),
				ex);
	}

	/**
	 * Whether the database cancelled a statement at one of the bounds of its transaction
	 * ({@code lock_timeout}, {@code statement_timeout}) and so rolled the transaction
	 * back.
	 */
	static boolean cancelledByTheDatabase(RuntimeException ex) {
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof SQLException sql
					&& (LOCK_NOT_AVAILABLE.equals(sql.getSQLState()) || QUERY_CANCELED.equals(sql.getSQLState()))) {
				return true;
			}
		}
		return false;
	}

	static StorageUnavailableException unavailable(RuntimeException ex) {
		if (ex instanceof StorageUnavailableException unavailable) {
			return unavailable;
		}
		return new StorageUnavailableException("The database did not take the write: " + rootMessage(ex), ex);
	}

	/**
	 * Whether the database, or the way to it, failed, rather than refused a statement.
	 */
	static boolean connectionLost(RuntimeException ex) {
		if (ex instanceof StorageUnavailableException || ex instanceof DataAccessResourceFailureException
				|| ex instanceof TransientDataAccessException || ex instanceof RecoverableDataAccessException
				|| ex instanceof TransactionException) {
			return true;
		}
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
					|| sql.getSQLState().startsWith("57P") || sql.getSQLState().startsWith("53"))) {
				return true;
			}
		}
		return false;
	}

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return String.valueOf(root.getMessage());
	}

}
