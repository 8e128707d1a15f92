local f(x) = if x > 1 then error 'too big: ' + x else x;
[f(1), f(2)]
