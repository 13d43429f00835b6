{#-
    Seed pre-hook (dbt_project.yml): the CSV header must have exactly the columns declared in
    seeds/_seeds.yml, in any order.
    - A missing column would load anyway, and the staging view would then fail on it with an
      engine error that names neither the file nor the column.
    - An undeclared extra column would load into a new table but not into an existing one
      (the insert then fails on the column count, without saying why).
    Both fail the seed here instead, before its table is replaced, naming the file and the
    columns. Every seed materialization (default, spark, databricks) stores the parsed CSV as
    the result 'agate_table' before it runs the pre-hooks.
-#}
{% macro assert_seed_header_complete() %}
    {#- Outside a seed materialization (e.g. dbt compile) there is no parsed CSV to check. -#}
    {%- set loaded = load_result('agate_table') if execute and model.resource_type == 'seed' -%}
    {%- if loaded -%}
        {#- Loading a result consumes it; store it again for the seed runner's row count. -#}
        {%- set agate_table = loaded.table -%}
        {%- do store_result('agate_table', response='OK', agate_table=agate_table) -%}
        {%- set header = agate_table.column_names | map('lower') | list -%}
        {%- set declared = model.columns.keys() | map('lower') | list -%}
        {%- set missing = declared | reject('in', header) | list -%}
        {%- set undeclared = header | reject('in', declared) | list -%}
        {%- set declared_in = model.patch_path.split('://')[-1] -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                'Seed file ' ~ model.original_file_path ~ ' lacks the declared column(s) '
                ~ missing | join(', ') ~ ' (declared in ' ~ declared_in
                ~ '; header: ' ~ header | join(', ') ~ ')'
            ) }}
        {%- endif -%}
        {%- if undeclared -%}
            {{ exceptions.raise_compiler_error(
                'Seed file ' ~ model.original_file_path ~ ' has column(s) not declared in '
                ~ declared_in ~ ': ' ~ undeclared | join(', ') ~ '. Declare them (then run'
                ~ ' dbt seed --full-refresh) or remove them from the file.'
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
