{ value:: 'found-in-vendor' }
