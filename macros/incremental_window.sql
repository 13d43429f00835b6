{#-
    The month window of the incremental intermediate models: a refresh deletes every stored
    month from the window's first month on and writes the window's months again, so each of
    them is what a full build stores. Why this and not dbt's microbatch, and what a window
    cannot see: docs/pipeline.md#incremental-refresh.
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


{#- The strategy: replace_window (below) where the adapter accepts a project's own
    strategy, else Spark's insert_overwrite of the month partitions. -#}
{% macro incremental_strategy_by_engine() -%}
    {{ return(adapter.dispatch('incremental_strategy_by_engine', 'patreon_analytics')()) }}
{%- endmacro %}

{% macro default__incremental_strategy_by_engine() -%}
    {{ return('replace_window') }}
{%- endmacro %}

{% macro spark__incremental_strategy_by_engine() -%}
    {#- dbt-spark accepts only its own strategies; Parquet has no DELETE. -#}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{% macro databricks__incremental_strategy_by_engine() -%}
    {#- dbt-databricks dispatches to spark__ macros too: Delta takes replace_window. -#}
    {{ return('replace_window') }}
{%- endmacro %}


{% macro get_incremental_replace_window_sql(arg_dict) -%}
    {#- dbt's custom-strategy hook for incremental_strategy='replace_window': the window's
        months of the target are replaced by the new rows (arg_dict's temp_relation). -#}
    {{ return(replace_window_sql(
        arg_dict['target_relation'], arg_dict['temp_relation'], incremental_window_start())) }}
{%- endmacro %}

{% macro replace_window_sql(target, source, window_start, month_column='month_start_date') -%}
    {{ return(adapter.dispatch('replace_window_sql', 'patreon_analytics')(
        target, source, window_start, month_column)) }}
{%- endmacro %}

{% macro default__replace_window_sql(target, source, window_start, month_column) -%}
    {#- DuckDB: both statements in the model's transaction. A month of the window that has
        no new rows is deleted too. -#}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted')
        | join(', ') -%}
    delete from {{ target }}
    {%- if window_start %} where {{ month_column }} >= {{ window_start }}{% endif %};
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
{%- endmacro %}

{% macro databricks__replace_window_sql(target, source, window_start, month_column) -%}
    {#- Delta: dbt-databricks' replace_where, one atomic INSERT ... REPLACE WHERE. -#}
    {{ return(get_replace_where_sql({
        'target_relation': target,
        'temp_relation': source,
        'incremental_predicates': [month_column ~ ' >= ' ~ window_start] if window_start else [],
    })) }}
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
    {#- Delta is liquid-clustered by month instead (dbt_project.yml): no small partitions. -#}
    {{ return(none) }}
{%- endmacro %}


{% macro drop_window_partitions(month_column='month_start_date') -%}
    {#- Pre-hook of the incremental models. -#}
    {{ return(adapter.dispatch('drop_window_partitions', 'patreon_analytics')(month_column)) }}
{%- endmacro %}

{% macro default__drop_window_partitions(month_column) -%}
    {#- Nothing to do where the strategy deletes the window itself. -#}
{%- endmacro %}

{% macro databricks__drop_window_partitions(month_column) -%}
{%- endmacro %}

{% macro spark__drop_window_partitions(month_column) -%}
    {#- insert_overwrite replaces only the month partitions that receive rows: the window's
        stored partitions are dropped first, so a month left with no rows (or after a new,
        earlier as-of month) does not keep its old ones. If the insert then fails, the next
        run's window starts before the dropped months and writes them again. -#}
    {%- set window_start = incremental_window_start(month_column) -%}
    {%- if window_start -%}
        {%- set stored = run_query(
            'select distinct ' ~ month_column ~ ' from ' ~ this
            ~ ' where ' ~ month_column ~ ' >= ' ~ window_start) -%}
        {%- set partitions = [] -%}
        {%- for row in stored.rows -%}
            {%- do partitions.append(
                "partition (" ~ month_column ~ " = '" ~ row[0] ~ "')") -%}
        {%- endfor -%}
        {%- if partitions -%}
            alter table {{ this }} drop if exists {{ partitions | join(', ') }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
