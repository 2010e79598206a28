# Run by the CI pipeline (examples/github-actions/koodrive-pipeline.sh) on the stack it has just created: the config
# this program requires. In your pipeline, pass the access code from a CI secret (env: Q3_REPORT_CODE); the default
# is for runs against the emulator only.
printf '%s' "${Q3_REPORT_CODE:-MDg2K0vU}" | pulumi config set --secret q3ReportCode
