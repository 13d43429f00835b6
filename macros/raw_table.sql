{#-
    The raw table `name` for a staging import CTE. When the demo seeds are part of the build
    (var `load_demo_seeds`, see load_demo_seeds() below) it is the seed, ref(name), so the seed
    sits in the lineage graph and builds before its staging view. Otherwise it is the source
    raw.<name>: the same analytics_raw table, landed by other means and never overwritten by a
    `dbt build`.
-#}
{% macro raw_table(name) -%}
    {{ return(ref(name) if load_demo_seeds() else source('raw', name)) }}
{%- endmacro %}


{#-
    Whether the demo seeds build. var `load_demo_seeds` when given; otherwise true on DuckDB and
    local Spark and false on Databricks, decided on the adapter (target.type), never the target
    name, so a shared workspace's raw tables are never replaced by the demo CSVs by accident.
    dbt_project.yml applies the same rule to the seeds' `enabled` config (macros cannot be
    called there); tests/test_demo_seeds.py keeps the two in step.
-#}
{% macro load_demo_seeds() -%}
    {%- set requested = var('load_demo_seeds', none) -%}
    {%- if requested is none -%}
        {{ return(target.type != 'databricks') }}
    {%- endif -%}
    {{ return(requested | string | lower == 'true') }}
{%- endmacro %}
