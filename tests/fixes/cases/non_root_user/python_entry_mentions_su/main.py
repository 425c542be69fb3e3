su = "summary"  # a word the shell check must not read as the su command
print(su)
