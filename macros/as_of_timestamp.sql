{#- Described in macros/_macros.yml, shown on the docs site. -#}
{% macro as_of_timestamp() -%}
    {%- set as_of_date = var('as_of_date', none) -%}
    {%- if as_of_date -%}
        {%- set as_of_text = as_of_date | string | trim -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', as_of_text) -%}
            {{ exceptions.raise_compiler_error(
                "var as_of_date must be a date 'YYYY-MM-DD', got '" ~ as_of_text ~ "'") }}
        {%- endif -%}
        cast('{{ as_of_text }} 23:59:59' as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}


{% macro as_of_month_query(transactions) -%}
    {%- if var('as_of_date', none) %}
    select {{ month_start(as_of_timestamp()) }} as month_start_date
    {%- else %}
    select {{ month_start('max(' ~ transactions ~ '.transaction_at)') }} as month_start_date
    from {{ transactions }}
    where {{ transactions }}.transaction_at <= {{ as_of_timestamp() }}
    {%- endif %}
{%- endmacro %}
