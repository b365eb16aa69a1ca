"""rules: the loader of rules/ (layouts, identities, text rules, the findings catalogue) and
the expression language its identities are written in."""
