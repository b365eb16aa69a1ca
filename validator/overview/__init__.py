"""For the evaluator: many reports at a glance (`govreport summary`) and two years of one office
side by side (`govreport compare`).

spec.py loads rules/indicators.yaml; figures.py takes each checked report's small figures
record (key figures and the 表三/表四 cells); collect.py runs the checks and gathers those
records without keeping reports; yoy.py compares an office's consecutive years and raises the
anomalies; the render_*.py modules and charts.py write the formats."""
