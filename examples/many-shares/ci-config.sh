# Run by the CI pipeline (examples/github-actions/koodrive-pipeline.sh) on the stack it has just created: the config
# this program requires. The access code comes from the job's environment (a CI secret, env: Q3_REPORT_CODE), never
# from this file: a default here would be applied to real shares by a pipeline that forgot the secret.
: "${Q3_REPORT_CODE:?set Q3_REPORT_CODE (the access code for the q3-report share) in the job environment}"
printf '%s' "$Q3_REPORT_CODE" | pulumi config set --secret q3ReportCode
