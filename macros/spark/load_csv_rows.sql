{#-
    Seed loading on Spark. dbt-spark's own loader binds every value into one statement per
    batch with Python `%` formatting: quadratic in the row count (20,000 rows took 37 minutes),
    it writes empty fields as the text 'None' and breaks on apostrophes.

    With `method: session` (our `spark` target) the Spark driver runs in dbt's process, so
    it reads the seed file itself with Spark's CSV reader: one scan, exact RFC 4180 parsing
    (quoted commas, doubled quotes, line breaks), FAILFAST on a malformed row, and the row
    count is checked against the file dbt parsed. When the cluster cannot see this machine's
    files (thrift/http), set the var `spark_seed_from_file: false`: rows are then sent as
    escaped literals in batched multi-row inserts. dbt does not expose the connection method
    to macros, hence the var.

    Either way an empty field lands as NULL, as on DuckDB and Databricks.
    Databricks has its own loader (databricks__load_csv_rows), which dispatch prefers.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- if var('spark_seed_from_file', true) -%}
        {{ return(patreon_analytics.spark_load_csv_file(model, agate_table)) }}
    {%- else -%}
        {{ return(patreon_analytics.spark_insert_csv_values(model, agate_table)) }}
    {%- endif -%}
{% endmacro %}


{#- The target column's type: column_types from the seed's config, else dbt's inferred type. -#}
{% macro spark_seed_column_type(model, agate_table, column_index) %}
    {%- set column_name = agate_table.column_names[column_index] -%}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {{- return(column_types.get(column_name, adapter.convert_type(agate_table, column_index))) -}}
{% endmacro %}


{#- Every column's target type, in the CSV's column order. -#}
{% macro spark_seed_column_types(model, agate_table) %}
    {%- set column_types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do column_types.append(
            patreon_analytics.spark_seed_column_type(model, agate_table, loop.index0)
        ) -%}
    {%- endfor -%}
    {{- return(column_types) -}}
{% endmacro %}


{#- A Spark SQL string literal (backslash escapes are on by default in Spark SQL). -#}
{% macro spark_string_literal(value) %}
    {{- return("'" ~ (value | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'") -}}
{% endmacro %}


{% macro spark_load_csv_file(model, agate_table) %}
    {%- set csv_view = 'seed_csv__' ~ model['alias'] -%}
    {%- set delimiter = model['config'].get('delimiter') or ',' -%}
    {%- set expected_rows = agate_table.rows | length -%}

    {%- call statement('seed_csv_view') -%}
        create or replace temporary view {{ adapter.quote(csv_view) }}
        using csv
        options (
            path {{ patreon_analytics.spark_string_literal(agate_table.original_abspath) }},
            header 'true',
            inferSchema 'false',
            sep {{ patreon_analytics.spark_string_literal(delimiter) }},
            quote '"',
            escape '"',
            multiLine 'true',
            encoding 'UTF-8',
            mode 'FAILFAST'
        )
    {%- endcall -%}

    {%- set count_query = 'select count(*) from ' ~ adapter.quote(csv_view) -%}
    {%- set file_rows = run_query(count_query).columns[0].values()[0] -%}
    {%- if file_rows != expected_rows -%}
        {{ exceptions.raise_compiler_error(
            'Seed ' ~ model['alias'] ~ ': Spark read ' ~ file_rows ~ ' rows from '
            ~ agate_table.original_abspath ~ ' but dbt parsed ' ~ expected_rows
            ~ '; the file has a malformed row.'
        ) }}
    {%- endif -%}

    {%- set column_types = patreon_analytics.spark_seed_column_types(model, agate_table) -%}
    {%- set sql -%}
        insert into {{ this.render() }} (
            {%- for column_name in agate_table.column_names %}
            {{ adapter.quote_seed_column(column_name, model['config'].get('quote_columns')) }}
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        )
        select
            {%- for column_name in agate_table.column_names %}
            cast(nullif({{ adapter.quote(column_name) }}, '') as {{ column_types[loop.index0] }})
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ adapter.quote(csv_view) }}
    {%- endset -%}

    {%- call statement('seed_csv_insert') -%}
        {{ sql }}
    {%- endcall -%}
    {%- call statement('seed_csv_view_drop') -%}
        drop view if exists {{ adapter.quote(csv_view) }}
    {%- endcall -%}

    {{ return(sql) }}
{% endmacro %}


{% macro spark_insert_csv_values(model, agate_table) %}
    {%- set column_types = patreon_analytics.spark_seed_column_types(model, agate_table) -%}

    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            (
                {%- for value in row -%}
                    {%- if value is none or (value | string) == '' -%}
                        cast(null as {{ column_types[loop.index0] }})
                    {%- else -%}
                        {%- set literal = patreon_analytics.spark_string_literal(value) -%}
                        cast({{ literal }} as {{ column_types[loop.index0] }})
                    {%- endif -%}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
            )
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}

    {{ return(statements[0]) }}
{% endmacro %}
