{#-
    dbt_project_evaluator's exceptions filter, reading this package's seed
    project_evaluator_exceptions (dispatched from dbt_project_evaluator through the `dispatch`
    block of the root dbt_project.yml). The evaluator's own filter reads a seed named
    dbt_project_evaluator_exceptions from the root project and needs the package's empty
    default seed disabled in the root dbt_project.yml, a configuration path that warns on every
    dbt command whenever the evaluator is not installed (offline mode, ordinary package mode).
    Same format, same rule: leave out the rows whose column is `like` a recorded pattern.
-#}
{% macro default__filter_exceptions() %}
    {%- set query_filters -%}
        select column_name, id_to_exclude
        from {{ ref('project_evaluator_exceptions') }}
        where fct_name = '{{ model.name }}'
    {%- endset -%}
    {%- if execute and flags.WHICH not in ['compile'] %}
    where 1 = 1
        {%- for row_filter in run_query(query_filters) %}
        and {{ row_filter[0] }} not like '{{ row_filter[1] }}'
        {%- endfor %}
    {%- endif %}
{% endmacro %}
