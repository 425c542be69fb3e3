console.log('relay')
