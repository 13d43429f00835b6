{#- Described in macros/_macros.yml, shown on the docs site. -#}

{% macro incremental_window_start(month_column='month_start_date') -%}
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
    {#- Unit tests have no `this`; compile, docs generate and show render the full-build SQL
        without a warehouse query, so `dbt compile --no-populate-cache` works offline. -#}
    {{ return(execute and this is not none and flags.WHICH in ['run', 'build', 'retry']
              and is_incremental()) }}
{%- endmacro %}


{% macro where_in_window(window_start, column='month_start_date', keep_nulls=false) -%}
    {%- if window_start %}
    where {% if keep_nulls %}{{ column }} is null or {% endif %}{{ column }} >= {{ window_start }}
    {%- endif %}
{%- endmacro %}


{% macro incremental_strategy_by_engine() -%}
    {{ return(adapter.dispatch('incremental_strategy_by_engine', 'patreon_analytics')()) }}
{%- endmacro %}

{% macro default__incremental_strategy_by_engine() -%}
    {{ return('replace_window') }}
{%- endmacro %}

{% macro spark__incremental_strategy_by_engine() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{% macro databricks__incremental_strategy_by_engine() -%}
    {#- dbt-databricks dispatches to spark__ macros too: Delta takes replace_window. -#}
    {{ return('replace_window') }}
{%- endmacro %}


{% macro get_incremental_replace_window_sql(arg_dict) -%}
    {{ return(replace_window_sql(
        arg_dict['target_relation'], arg_dict['temp_relation'], incremental_window_start())) }}
{%- endmacro %}

{% macro replace_window_sql(target, source, window_start, month_column='month_start_date') -%}
    {{ return(adapter.dispatch('replace_window_sql', 'patreon_analytics')(
        target, source, window_start, month_column)) }}
{%- endmacro %}

{% macro default__replace_window_sql(target, source, window_start, month_column) -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted')
        | join(', ') -%}
    delete from {{ target }}
    {%- if window_start %} where {{ month_column }} >= {{ window_start }}{% endif %};
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
{%- endmacro %}

{% macro databricks__replace_window_sql(target, source, window_start, month_column) -%}
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
    {{ return(['month_start_date']) }}
{%- endmacro %}

{% macro databricks__incremental_partition_by_month() -%}
    {#- Delta is liquid-clustered by month instead (dbt_project.yml): no small partitions. -#}
    {{ return(none) }}
{%- endmacro %}


{% macro drop_window_partitions(month_column='month_start_date') -%}
    {{ return(adapter.dispatch('drop_window_partitions', 'patreon_analytics')(month_column)) }}
{%- endmacro %}

{% macro default__drop_window_partitions(month_column) -%}
    {#- Nothing to do where the strategy deletes the window itself. -#}
{%- endmacro %}

{% macro databricks__drop_window_partitions(month_column) -%}
{%- endmacro %}

{% macro spark__drop_window_partitions(month_column) -%}
    {#- If the insert after this drop fails, the next run's window starts before the
        dropped months and writes them again. -#}
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
