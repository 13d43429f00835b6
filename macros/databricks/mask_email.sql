{#-
    Optional email masking in staging on Databricks (Unity Catalog). Column masks cannot be set
    on views (dbt-databricks refuses `column_mask` on a view, and Unity Catalog applies masks to
    tables only), so the staging view masks the value itself, as a dynamic view: members of the
    account group `var('pii_reader_group')` read the address, everyone else reads NULL.
    Off unless `var('mask_pii_emails')` is true; on every other engine a no-op (default__),
    whatever the variable.
-#}
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
