{#-
    dbt-duckdb loads a seed with `COPY ... (FORMAT CSV, HEADER TRUE)`, which lets DuckDB sniff
    the dialect. A line with too few or too many fields then fails with "It was not possible to
    automatically detect the CSV parsing dialect", naming neither the line nor the problem
    (and agate, the fallback loader, silently pads a short row with NULLs). Here the dialect is
    stated and sniffing is off, so the same defect fails with "CSV Error on Line: N", the
    original line and the expected and found number of columns. Nothing is padded or skipped.
-#}
{% macro duckdb__load_csv_rows(model, agate_table) %}
    {%- if not config.get('fast', true) -%}
        {{ return(dbt_duckdb.duckdb__load_csv_rows(model, agate_table)) }}
    {%- endif -%}
    {%- set seed_file_path = adapter.get_seed_file_path(model) -%}
    {%- set delimiter = config.get('delimiter', ',') -%}
    {%- set sql -%}
        copy {{ this.render() }} from '{{ seed_file_path }}' (
            format csv,
            header true,
            delimiter '{{ delimiter }}',
            quote '"',
            escape '"',
            auto_detect false,
            strict_mode true
        )
    {%- endset -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {{ return(sql) }}
{% endmacro %}
