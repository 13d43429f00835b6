{#-
    The month window of the incremental intermediate models. What a refresh rewrites, why
    that equals a full build, and the strategy per engine: docs/pipeline.md#incremental-refresh.
-#}

{% macro incremental_window_start(month_column='month_start_date') -%}
    {#- On an incremental run, the first month to rewrite as a SQL date literal: the table's
        latest month minus var('mart_lookback_months') - 1. none on a full build and on an
        empty table. -#}
    {%- if not _is_incremental_write() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set lookback_months = var('mart_lookback_months', 2) | int -%}
    {%- if lookback_months < 1 -%}
        {{ exceptions.raise_compiler_error(
            "var mart_lookback_months must be at least 1, got " ~ lookback_months) }}
    {%- endif -%}
    {%- set query -%}
        select cast({{ dbt.dateadd('month', 1 - lookback_months, 'max(' ~ month_column ~ ')') }}
            as date)
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
        is_incremental. Only commands that write tables look at the stored table: compile,
        docs generate and show render the full-build SQL without a warehouse query, so
        `dbt compile --no-populate-cache` works offline. -#}
    {{ return(execute and this is not none and flags.WHICH in ['run', 'build', 'retry']
              and is_incremental()) }}
{%- endmacro %}


{% macro where_in_window(window_start, month_column='month_start_date') -%}
    {#- `where <month> >= <window start>`; nothing on a full build (window_start none). -#}
    {%- if window_start %}
    where {{ month_column }} >= {{ window_start }}
    {%- endif %}
{%- endmacro %}


{% macro incremental_strategy_by_engine() -%}
    {{ return(adapter.dispatch('incremental_strategy_by_engine', 'patreon_analytics')()) }}
{%- endmacro %}

{% macro default__incremental_strategy_by_engine() -%}
    {#- DuckDB (and other SQL engines): delete the window's keys, insert the new rows. -#}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro databricks__incremental_strategy_by_engine() -%}
    {#- Delta: a MERGE on the unique key rewrites only the files holding the window. -#}
    {{ return('merge') }}
{%- endmacro %}

{% macro spark__incremental_strategy_by_engine() -%}
    {#- Parquet has no MERGE or DELETE: overwrite the window's month partitions. -#}
    {{ return('insert_overwrite') }}
{%- endmacro %}


{% macro incremental_partition_by_month() -%}
    {{ return(adapter.dispatch('incremental_partition_by_month', 'patreon_analytics')()) }}
{%- endmacro %}

{% macro default__incremental_partition_by_month() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__incremental_partition_by_month() -%}
    {#- insert_overwrite replaces whole partitions, so Spark partitions by month. -#}
    {{ return(['month_start_date']) }}
{%- endmacro %}

{% macro databricks__incremental_partition_by_month() -%}
    {#- Delta merges without partitions; small monthly partitions would only add files. -#}
    {{ return(none) }}
{%- endmacro %}
