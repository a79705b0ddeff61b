package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.PropensitySums;
import dev.spawntelemetry.telemetry.ToolUsage;

import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.support.AbstractSqlTypeValue;

/**
 * The named parameters of a statement that writes many rows at once: each column of the
 * rows is one SQL array, named {@code prefix_column}, that the statement unnests.
 */
final class ColumnArrays {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MapSqlParameterSource parameters = new MapSqlParameterSource();

	/** A single value, typed so the driver need not ask the database for its type. */
	ColumnArrays value(String name, @Nullable Object value, int sqlType) {
		this.parameters.addValue(name, new SqlParameterValue(sqlType, value));
		return this;
	}

	ColumnArrays text(String name, @Nullable String value) {
		return value(name, value, Types.VARCHAR);
	}

	/** The columns of some rows, each parameter named {@code prefix_column}. */
	<T> Rows<T> rows(String prefix, List<T> rows) {
		return new Rows<>(prefix, rows);
	}

	MapSqlParameterSource parameters() {
		return this.parameters;
	}

	private static SqlTypeValue array(String type, Object[] values) {
		return new AbstractSqlTypeValue() {

			@Override
			protected Object createTypeValue(Connection connection, int sqlType, @Nullable String typeName)
					throws SQLException {
				return connection.createArrayOf(type, values);
			}

		};
	}

	final class Rows<T> {

		private final String prefix;

		private final List<T> rows;

		private Rows(String prefix, List<T> rows) {
			this.prefix = prefix;
			this.rows = rows;
		}

		Rows<T> text(String column, Function<T, @Nullable String> value) {
			return add(column, "text", this.rows.stream().map(value).toArray());
		}

		Rows<T> integer(String column, ToLongFunction<T> value) {
			return add(column, "integer", this.rows.stream().map((row) -> (int) value.applyAsLong(row)).toArray());
		}

		Rows<T> bigint(String column, ToLongFunction<T> value) {
			return add(column, "bigint", this.rows.stream().map(value::applyAsLong).toArray());
		}

		/**
		 * The counts of an aggregate, as {@code spawns}, {@code completed},
		 * {@code failed}, {@code blocked} and {@code tokens}.
		 */
		Rows<T> counts(Function<T, CasteStats> value) {
			return bigint("spawns", (row) -> value.apply(row).spawns())
				.bigint("completed", (row) -> value.apply(row).completed())
				.bigint("failed", (row) -> value.apply(row).failed())
				.bigint("blocked", (row) -> value.apply(row).blocked())
				.bigint("tokens", (row) -> value.apply(row).tokens());
		}

		/**
		 * The duration histograms of an aggregate per outcome, as
		 * {@code durations_completed} (its counts as a JSON array, which the statement
		 * makes a {@code bigint[]}), {@code zeros_completed}, …
		 */
		Rows<T> durations(Function<T, CasteStats> value) {
			for (Outcome outcome : Outcome.values()) {
				text("durations_" + outcome.wireName(),
						(row) -> JSON.writeValueAsString(value.apply(row).durations(outcome).counts()));
				bigint("zeros_" + outcome.wireName(), (row) -> value.apply(row).durations(outcome).zeros());
			}
			return this;
		}

		/**
		 * Sums of importance weights, as {@code <name>_weights},
		 * {@code <name>_weighted_successes}, {@code <name>_squared_weights},
		 * {@code <name>_squared_weighted_successes} and {@code <name>_weighted_tokens}.
		 */
		Rows<T> weightSums(String name, Function<T, PropensitySums.WeightSums> value) {
			add(name + "_weights", "float8", this.rows.stream().map((row) -> value.apply(row).weights()).toArray());
			add(name + "_weighted_successes", "float8",
					this.rows.stream().map((row) -> value.apply(row).weightedSuccesses()).toArray());
			add(name + "_squared_weights", "float8",
					this.rows.stream().map((row) -> value.apply(row).squaredWeights()).toArray());
			add(name + "_squared_weighted_successes", "float8",
					this.rows.stream().map((row) -> value.apply(row).squaredWeightedSuccesses()).toArray());
			return add(name + "_weighted_tokens", "float8",
					this.rows.stream().map((row) -> value.apply(row).weightedTokens()).toArray());
		}

		/** The four counts of tools, as {@code tools_read}, {@code tools_grep}, … */
		Rows<T> tools(Function<T, ToolUsage> value) {
			return bigint("tools_read", (row) -> value.apply(row).read())
				.bigint("tools_grep", (row) -> value.apply(row).grep())
				.bigint("tools_edit", (row) -> value.apply(row).edit())
				.bigint("tools_bash", (row) -> value.apply(row).bash());
		}

		private Rows<T> add(String column, String type, Object[] values) {
			ColumnArrays.this.parameters.addValue(this.prefix + "_" + column, array(type, values));
			return this;
		}

	}

}
