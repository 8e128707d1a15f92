{ where:: 'next-to-the-file' }
