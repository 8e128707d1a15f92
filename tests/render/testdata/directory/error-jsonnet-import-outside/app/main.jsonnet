import '../../../etc/passwd'
