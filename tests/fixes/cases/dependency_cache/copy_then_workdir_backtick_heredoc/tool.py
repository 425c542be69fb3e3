print('tool')
