{#- One row naming the table when it has no rows (an empty load would build an empty mart). -#}
{% test is_not_empty(model) %}

select
    '{{ model.identifier }}' as table_name,
    'the table has no rows' as problem
where not exists (select 1 from {{ model }})

{% endtest %}
