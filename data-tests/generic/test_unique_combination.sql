{#-
    Fails with one row per duplicated combination of `combination_of_columns`, naming the
    values and how often they occur (dbt_utils.unique_combination_of_columns without the
    package, which offline mode cannot install).
-#}
{% test unique_combination(model, combination_of_columns) %}

select
    {%- for column in combination_of_columns %}
    {{ column }},
    {%- endfor %}
    count(*) as occurrences
from {{ model }}
group by
    {%- for column in combination_of_columns %}
    {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
having count(*) > 1

{% endtest %}
