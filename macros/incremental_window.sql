{#-
    Incremental refresh of a monthly model: a run recomputes the latest
    var('mart_lookback_months') months already stored (late payments, refunds and pledge
    changes land there) and every later month. The mart computes every row from its own
    month's data (the previous month's closing state is this month's opening state), so the
    run reads nothing before the window. A full build (first run or --full-refresh) reads and
    writes everything.
-#}

{% macro incremental_window(month_column='month_start_date') -%}
    {#- On an incremental run, the first month rewritten as a SQL date literal (the table's
        latest month, minus mart_lookback_months - 1). none on a full build, and on an empty
        table. -#}
    {#- Unit tests render models without `this`: a full build unless they override
        is_incremental (and then give `this` as an input). Only commands that write tables
        look at the stored table: compile, docs generate and show render the full-build SQL
        without a warehouse query, so `dbt compile --no-populate-cache` works offline. -#}
    {%- if not execute or this is none or flags.WHICH not in ['run', 'build', 'retry']
        or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set lookback_months = var('mart_lookback_months', 2) | int -%}
    {%- if lookback_months < 1 -%}
        {{ exceptions.raise_compiler_error(
            "var mart_lookback_months must be at least 1, got " ~ lookback_months) }}
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


{% macro incremental_since(column, start, keep_null=false) -%}
    {#- A where clause keeping rows from `start` (a date literal) on; nothing when start is
        empty (a full build). keep_null also keeps rows whose column is null, for an end
        that has not happened yet (an open pledge). -#}
    {%- if start %}
    where {{ column }} >= {{ start }}
    {%- if keep_null %} or {{ column }} is null{% endif %}
    {%- endif %}
{%- endmacro %}


{% macro incremental_floor(expression, start) -%}
    {#- `expression` raised to `start` (a date literal) on an incremental run, so a range
        begins at the window instead of being built in full and filtered; `expression`
        unchanged when start is empty (a full build). -#}
    {%- if start -%}
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
