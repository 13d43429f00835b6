{#- Described in macros/_macros.yml, shown on the docs site. -#}
{% macro mask_email(column_sql) -%}
    {{ return(adapter.dispatch('mask_email', 'patreon_analytics')(column_sql)) }}
{%- endmacro %}

{% macro default__mask_email(column_sql) -%}
    {{ column_sql }}
{%- endmacro %}

{% macro databricks__mask_email(column_sql) -%}
    {%- if var('mask_pii_emails') -%}
        case
            when is_account_group_member('{{ var("pii_reader_group") }}')
                then {{ column_sql }}
        end
    {%- else -%}
        {{ column_sql }}
    {%- endif -%}
{%- endmacro %}
