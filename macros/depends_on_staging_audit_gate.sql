{#-
    Puts the calling model behind the fail-closed gate (models/audit/staging_audit_gate.sql):
    the ref makes the gate a parent, so a failing check on the sources or staging skips the
    model in `dbt build`. Call it once at the top of every model that reads staging. Unit
    tests mock a model's inputs and do not run its checks, so there it renders nothing (and
    needs no fixture for the gate, which holds no rows).
-#}
{% macro depends_on_staging_audit_gate() -%}
    {%- if model.resource_type != 'unit_test' -%}
        -- depends_on: {{ ref('staging_audit_gate') }}
    {%- endif -%}
{%- endmacro %}
