{ name: 'x' }
