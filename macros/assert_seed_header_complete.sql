{#-
    Seed pre-hook (dbt_project.yml). A CSV whose header lacks a column declared in
    seeds/_seeds.yml would load anyway, and the staging view would then fail on the missing
    column with an engine error that names neither the file nor the column. This fails the
    seed instead, before its table is replaced, naming the file and the missing columns.
    Every seed materialization (default, spark, databricks) stores the parsed CSV as the
    result 'agate_table' before it runs the pre-hooks. A column the header has but the YAML
    does not declare loads into the raw table and staging ignores it (docs/data-quality.md).
-#}
{% macro assert_seed_header_complete() %}
    {%- if execute and model.resource_type == 'seed' -%}
        {#- Loading a result consumes it; store it again for the seed runner's row count. -#}
        {%- set agate_table = load_result('agate_table').table -%}
        {%- do store_result('agate_table', response='OK', agate_table=agate_table) -%}
        {%- set header = agate_table.column_names | map('lower') | list -%}
        {%- set missing = [] -%}
        {%- for column_name in model.columns -%}
            {%- if column_name | lower not in header -%}
                {%- do missing.append(column_name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                'Seed file ' ~ model.original_file_path ~ ' lacks the declared column(s) '
                ~ missing | join(', ') ~ ' (declared in ' ~ model.patch_path.split('://')[-1]
                ~ '; header: ' ~ header | join(', ') ~ ')'
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
