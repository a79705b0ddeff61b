package dev.spawntelemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for the tests: the one {@value #SERVER_VARIABLE} names (as
 * {@code jdbc:postgresql://host:port/database?user=name}, a superuser), or else an
 * embedded one started from the binaries that ship as a Maven artifact. Each test gets a
 * new, empty database of its own on it.
 */
public final class TestPostgres {

	public static final String SERVER_VARIABLE = "TELEMETRY_TEST_POSTGRES_URL";

	private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(\\?.*)?");

	private static String serverUrl;

	private TestPostgres() {
	}

	/**
	 * A new, empty database, dropped when the answer is closed or else when the JVM ends.
	 */
	public static Database createDatabase() {
		String name = "telemetry_" + UUID.randomUUID().toString().replace("-", "");
		execute("CREATE DATABASE " + name);
		Database database = new Database(name, withDatabase(server(), name));
		Runtime.getRuntime().addShutdownHook(new Thread(database::close));
		return database;
	}

	static synchronized String server() {
		if (serverUrl == null) {
			String given = System.getenv(SERVER_VARIABLE);
			if (given != null && !given.isBlank()) {
				serverUrl = given;
			}
			else {
				try {
					EmbeddedPostgres embedded = EmbeddedPostgres.start();
					Runtime.getRuntime().addShutdownHook(new Thread(() -> {
						try {
							embedded.close();
						}
						catch (IOException ex) {
							// the JVM is ending
						}
					}));
					serverUrl = embedded.getJdbcUrl("postgres", "postgres");
				}
				catch (IOException ex) {
					throw new UncheckedIOException("Cannot start an embedded PostgreSQL; set " + SERVER_VARIABLE
							+ " to a server's JDBC URL instead", ex);
				}
			}
		}
		return serverUrl;
	}

	/** Runs one statement as the server's superuser, outside any test database. */
	public static void execute(String sql) {
		try (Connection connection = DriverManager.getConnection(server());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	private static String withDatabase(String url, String database) {
		Matcher matcher = URL.matcher(url);
		if (!matcher.matches()) {
			throw new IllegalStateException(SERVER_VARIABLE + " is not jdbc:postgresql://host:port/database: " + url);
		}
		return matcher.group(1) + database + ((matcher.group(3) != null) ? matcher.group(3) : "");
	}

	/**
	 * One test's database.
	 *
	 * @param name its name on the server
	 * @param url its JDBC URL, with the superuser
	 */
	public record Database(String name, String url) implements AutoCloseable {

		/**
		 * Cuts every connection to the database and refuses new ones, as if the server
		 * were gone, until the answer is closed.
		 */
		public AutoCloseable unreachable() {
			execute("ALTER DATABASE " + this.name + " WITH ALLOW_CONNECTIONS false");
			terminateConnections();
			return () -> execute("ALTER DATABASE " + this.name + " WITH ALLOW_CONNECTIONS true");
		}

		public void terminateConnections() {
			execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + this.name
					+ "' AND pid <> pg_backend_pid()");
		}

		public Connection connect() throws SQLException {
			return DriverManager.getConnection(this.url);
		}

		/** The first column of every row a query answers, as text. */
		public java.util.Set<String> strings(String query) throws SQLException {
			java.util.Set<String> values = new java.util.HashSet<>();
			try (Connection connection = connect();
					Statement statement = connection.createStatement();
					java.sql.ResultSet rows = statement.executeQuery(query)) {
				while (rows.next()) {
					values.add(rows.getString(1));
				}
			}
			return values;
		}

		@Override
		public void close() {
			try {
				execute("DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
			}
			catch (IllegalStateException ex) {
				// an embedded server already stopped at the JVM's end takes its databases
				// along
			}
		}

	}

}
