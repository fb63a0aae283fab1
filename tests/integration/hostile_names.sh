# Process names a hostile user may give (sourced by the tests that show
# them). Each NAME with, for what the kernel keeps of it (15 bytes):
# JSON[i], the UTF-8 jq decodes from socktap's JSON (bytes that are not
# UTF-8 come as \u00XX, so 0xff decodes to U+00FF, c3 bf), and TEXT[i],
# socktap's terminal escaping (\xNN for control bytes, C1 controls, bytes
# that are not UTF-8, and \\ for a backslash; valid UTF-8 as it is).
NAME=() JSON=() TEXT=()
# ESC [31m, a quote, a backslash, a newline, 0xff; truncated in "evil-name"
NAME+=($'\e[31m"\\\n\xffevil-name')
JSON+=(1b5b33316d225c0ac3bf6576696c2d6e)
TEXT+=('\x1b[31m"\\\x0a\xffevil-n')
# CSI as a C1 control (U+009B, valid UTF-8), DEL, and an e-acute whose
# second byte the kernel cuts off: a lone c3
NAME+=($'\xc2\x9b31mX\x7fabcdefg\xc3\xa9')
JSON+=(c29b33316d587f61626364656667c383)
TEXT+=('\xc2\x9b31mX\x7fabcdefg\xc3')
# printf conversions, tab, CR, backspace, a whole e-acute, SOH
NAME+=($'%n%s\t\r\b\xc3\xa9\x01')
JSON+=(256e2573090d08c3a901)
TEXT+=('%n%s\x09\x0d\x08é\x01')
