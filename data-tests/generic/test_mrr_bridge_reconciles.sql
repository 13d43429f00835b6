{#-
    The MRR bridge's identity (docs block mrr_movements): fails with every row where
    opening + new business + expansion + reactivation - contraction - churn is not the
    closing MRR to the cent, or where a movement is negative, naming the rule broken.
-#}
{% test mrr_bridge_reconciles(model) %}

with

checked as (
    select
        *,
        opening_mrr_usd
        + new_business_mrr_usd
        + expansion_mrr_usd
        + reactivation_mrr_usd
        - contraction_mrr_usd
        - churn_mrr_usd as bridged_closing_mrr_usd
    from {{ model }}
)

select
    *,
    case
        when bridged_closing_mrr_usd <> closing_mrr_usd
            then 'opening + movements <> closing'
        else 'negative movement'
    end as broken_rule
from checked
where
    bridged_closing_mrr_usd <> closing_mrr_usd
    or new_business_mrr_usd < 0
    or expansion_mrr_usd < 0
    or contraction_mrr_usd < 0
    or reactivation_mrr_usd < 0
    or churn_mrr_usd < 0

{% endtest %}
