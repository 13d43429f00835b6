{#-
    DuckDB version of dbt_utils.get_tables_by_pattern_sql (package mode only; dispatched from
    dbt_utils through the `dispatch` block of dbt_project.yml). dbt_utils' default reads
    `<database>.information_schema.tables`, which DuckDB does not have: its information_schema
    lists every attached database at once, with the database in `table_catalog`. Behind
    dbt_utils.get_relations_by_pattern and so behind `codegen.generate_source`.
-#}
{% macro duckdb__get_tables_by_pattern_sql(
    schema_pattern, table_pattern, exclude='', database=target.database
) %}

        select distinct
            table_schema as {{ adapter.quote('table_schema') }},
            table_name as {{ adapter.quote('table_name') }},
            {{ dbt_utils.get_table_types_sql() }}
        from information_schema.tables
        where table_catalog = '{{ database }}'
        and table_schema ilike '{{ schema_pattern }}'
        and table_name ilike '{{ table_pattern }}'
        and table_name not ilike '{{ exclude }}'

{% endmacro %}
