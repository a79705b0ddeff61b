package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.ToolUsage;

/**
 * The parameters of a statement in order, where a column of rows is one array that the
 * statement unnests.
 */
final class SqlParameters {

	private final Connection connection;

	private final PreparedStatement statement;

	private int index = 1;

	SqlParameters(Connection connection, PreparedStatement statement) {
		this.connection = connection;
		this.statement = statement;
	}

	void add(@Nullable Object value) throws SQLException {
		this.statement.setObject(this.index++, value);
	}

	void array(String type, Object[] values) throws SQLException {
		this.statement.setArray(this.index++, this.connection.createArrayOf(type, values));
	}

	<T> void texts(List<T> rows, Function<T, @Nullable String> column) throws SQLException {
		array("text", rows.stream().map(column).toArray());
	}

	<T> void longs(List<T> rows, ToLongFunction<T> column) throws SQLException {
		array("bigint", rows.stream().map((row) -> column.applyAsLong(row)).toArray());
	}

	<T> void tools(List<T> rows, Function<T, ToolUsage> column) throws SQLException {
		longs(rows, (row) -> column.apply(row).read());
		longs(rows, (row) -> column.apply(row).grep());
		longs(rows, (row) -> column.apply(row).edit());
		longs(rows, (row) -> column.apply(row).bash());
	}

}
