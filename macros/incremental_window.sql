{#-
    Incremental refresh of a monthly model: a run recomputes the latest
    var('mart_lookback_months') months already stored (late payments, refunds and pledge
    changes land there) and every later month. The mart computes every row from its own
    month's data (the previous month's closing state is this month's opening state), so the
    run reads nothing before the window. Descriptive columns copied onto every row (a
    creator's name, plan, status) are the exception: when they change, all of that key's
    months are rewritten (incremental_restated_keys). A full build (first run or
    --full-refresh) reads and writes everything.
-#}

{% macro incremental_window(month_column='month_start_date', restated_keys=[]) -%}
    {#- On an incremental run, the first month rewritten as a SQL date literal (the table's
        latest month, minus mart_lookback_months - 1). none on a full build, on an empty
        table, and when keys are restated but the strategy cannot rewrite single keys
        (Spark overwrites whole month partitions): then the run recomputes every month. -#}
    {%- if not _is_incremental_write() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set lookback_months = var('mart_lookback_months', 2) | int -%}
    {%- if lookback_months < 1 -%}
        {{ exceptions.raise_compiler_error(
            "var mart_lookback_months must be at least 1, got " ~ lookback_months) }}
    {%- endif -%}
    {#- A partition overwrite replaces whole months: it cannot rewrite one key's rows. -#}
    {%- if restated_keys and config.get('incremental_strategy') == 'insert_overwrite' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set latest = 'max(' ~ month_column ~ ')' -%}
    {%- set query -%}
        select cast({{ dbt.dateadd('month', 1 - lookback_months, latest) }} as date)
        from {{ this }}
    {%- endset -%}
    {%- set window_start = run_query(query).rows[0][0] -%}
    {%- if window_start is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ window_start ~ "' as date)") }}
{%- endmacro %}


{% macro _is_incremental_write() -%}
    {#- Unit tests render models without `this`: a full build unless they override
        is_incremental (and then give `this` as an input). Only commands that write tables
        look at the stored table: compile, docs generate and show render the full-build SQL
        without a warehouse query, so `dbt compile --no-populate-cache` works offline. -#}
    {{ return(execute and this is not none and flags.WHICH in ['run', 'build', 'retry']
              and is_incremental()) }}
{%- endmacro %}


{% macro incremental_restated_keys(key_column, current_rows, compared_columns,
                                   month_column='month_start_date') -%}
    {#- On an incremental run, the keys (sorted) to rewrite over all their months, not only
        the window's: those whose descriptive columns (copied onto every stored row) changed,
        and those the table does not hold yet (a key that appears late may have months before
        the window). [] on a full build.
        The latest stored month stands for all: every run writes a key's rows with the same
        values, and rewrites all of them when those values change.
        compared_columns: {stored column: column of current_rows}. -#}
    {%- if not _is_incremental_write() -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        with

        stored as (
            select * from {{ this }}
            where {{ month_column }} = (select max({{ month_column }}) from {{ this }})
        )

        select current_rows.{{ key_column }}
        from {{ current_rows }} as current_rows
        left join stored
            on current_rows.{{ key_column }} = stored.{{ key_column }}
        where
            current_rows.{{ key_column }} is not null
            and (
                stored.{{ key_column }} is null
                {%- for stored_column, current_column in compared_columns.items() %}
                or stored.{{ stored_column }} is distinct from current_rows.{{ current_column }}
                {%- endfor %}
            )
        order by 1
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}


{% macro _in_restated(restated) -%}
    {#- `key in ('a', 'b')` for restated = (key expression, [keys]); nothing without keys. -#}
    {%- if restated and restated[1] -%}
        {{ restated[0] }} in (
        {%- for key in restated[1] -%}
            '{{ key | replace("'", "''") }}'{{ ', ' if not loop.last }}
        {%- endfor -%}
        )
    {%- endif -%}
{%- endmacro %}


{% macro incremental_since(column, start, keep_null=false, restated=none) -%}
    {#- A where clause keeping rows from `start` (a date literal) on; nothing when start is
        empty (a full build). keep_null also keeps rows whose column is null, for an end
        that has not happened yet (an open pledge). restated = (key column, [keys]) also
        keeps every row of those keys. -#}
    {%- set restated_rows = _in_restated(restated) %}
    {%- if start %}
    where {{ column }} >= {{ start }}
    {%- if keep_null %} or {{ column }} is null{% endif %}
    {%- if restated_rows %} or {{ restated_rows }}{% endif %}
    {%- endif %}
{%- endmacro %}


{% macro incremental_floor(expression, start, restated=none) -%}
    {#- `expression` raised to `start` (a date literal) on an incremental run, so a range
        begins at the window instead of being built in full and filtered; `expression`
        unchanged when start is empty (a full build) and for restated keys
        (restated = (key expression, [keys])). -#}
    {%- set restated_rows = _in_restated(restated) -%}
    {%- if start and restated_rows -%}
        case when {{ restated_rows }} then {{ expression }}
            else greatest({{ expression }}, {{ start }}) end
    {%- elif start -%}
        greatest({{ expression }}, {{ start }})
    {%- else -%}
        {{ expression }}
    {%- endif -%}
{%- endmacro %}


{% macro incremental_strategy_for_mart() -%}
    {#- Per engine, through dispatch: see the engine-specific versions below. -#}
    {{ return(adapter.dispatch('incremental_strategy_for_mart', 'patreon_analytics')()) }}
{%- endmacro %}

{% macro default__incremental_strategy_for_mart() -%}
    {#- DuckDB (and other SQL engines): delete the window's keys, insert the new rows. -#}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro databricks__incremental_strategy_for_mart() -%}
    {#- Delta: a MERGE on the unique key rewrites only the files holding the window. -#}
    {{ return('merge') }}
{%- endmacro %}

{% macro spark__incremental_strategy_for_mart() -%}
    {#- Parquet has no MERGE or DELETE: overwrite the window's month partitions. -#}
    {{ return('insert_overwrite') }}
{%- endmacro %}


{% macro incremental_partition_by_for_mart() -%}
    {#- insert_overwrite replaces whole partitions, so Spark partitions by month. -#}
    {{ return(adapter.dispatch('incremental_partition_by_for_mart', 'patreon_analytics')()) }}
{%- endmacro %}

{% macro default__incremental_partition_by_for_mart() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__incremental_partition_by_for_mart() -%}
    {{ return(['month_start_date']) }}
{%- endmacro %}

{% macro databricks__incremental_partition_by_for_mart() -%}
    {#- Delta merges without partitions; small monthly partitions would only add files. -#}
    {{ return(none) }}
{%- endmacro %}
