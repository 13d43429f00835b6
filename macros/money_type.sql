{#-
    Money columns are exact decimals with cents. dbt.type_numeric() is decimal(28,6) on
    DuckDB and plain decimal (= decimal(10,0)) on Spark, so the precision is spelled out once here.
-#}
{% macro money_type() -%}
    decimal(18,2)
{%- endmacro %}
