{#-
    Schema drift: the landed table has exactly the columns its YAML declares, in any order.
    One row per difference: the table, the column and the problem (a declared column missing
    from the table, or a column the YAML does not declare). A missing column would otherwise
    stop the staging view with an engine error naming no table; an undeclared one would pass
    unnoticed. The landed columns come from the engine's catalog when the test runs.
-#}
{% test matches_declared_columns(model) %}

with

declared as (
    {%- for column_name in patreon_analytics.declared_columns(model) %}
    select '{{ column_name }}' as column_name
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select cast(null as {{ dbt.type_string() }}) as column_name
    where 1 = 0
    {%- endfor %}
),

landed as (
    {{ patreon_analytics.landed_columns_query(model) }}
),

differences as (
    select
        declared.column_name,
        'declared column missing from the table' as problem
    from declared
    left join landed
        on declared.column_name = landed.column_name
    where landed.column_name is null

    union all

    select
        landed.column_name,
        'column not declared in the YAML' as problem
    from landed
    left join declared
        on landed.column_name = declared.column_name
    where declared.column_name is null
)

select
    '{{ model.identifier }}' as table_name,
    differences.column_name,
    differences.problem
from differences

{% endtest %}
