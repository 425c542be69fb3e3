su = "summary"  # words the shell check must not read as the su or cron commands
cron = "0 * * * *"
print(su, cron)
