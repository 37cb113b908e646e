package frontend

import (
	"fmt"
	"runtime"
	"sync"

	"modernc.org/cc/v4"
)

var (
	parseConfigOnce sync.Once
	parseConfig     *cc.Config
	parseConfigErr  error
)

// ccConfig returns the cc/v4 configuration for parsing preprocessed text:
// no include paths, no predefined macros (the unit's compiler already
// expanded everything), the x86_64 LP64 ABI.
func ccConfig() (*cc.Config, error) {
	parseConfigOnce.Do(func() {
		abi, err := cc.NewABI("linux", "amd64")
		if err != nil {
			parseConfigErr = fmt.Errorf("cc/v4 ABI: %w", err)
			return
		}
		parseConfig = &cc.Config{ABI: abi, FSOnly: true}
	})
	return parseConfig, parseConfigErr
}

// prelude declares what GCC knows without a declaration and cc/v4's parser
// needs: __builtin_va_list as a type name, and the builtins that take a type
// as an argument, rewritten into expressions that parse.
const prelude = `#define __extension__
typedef void *__builtin_va_list;
int __predefined_declarator;
#define __builtin_va_arg(va, type) (*(type*)__builtin_va_arg_impl(va))
#define __builtin_offsetof(type, member) ((unsigned long)&(((type*)0)->member))
#define __builtin_types_compatible_p(t1, t2) (sizeof(t1) == sizeof(t2))
#define __builtin_convertvector(src, type) ((type)(src))
#define __builtin_bit_cast(type, expr) ((type)(expr))
`

// parseText parses preprocessed (and pruned) C text with cc.Parse. name is
// used in error messages only; positions come from the #line markers.
func parseText(name string, text []byte) (*cc.AST, error) {
	cfg, err := ccConfig()
	if err != nil {
		return nil, err
	}
	_ = runtime.GOARCH
	return cc.Parse(cfg, []cc.Source{{Name: "<kcheck-builtin>", Value: prelude}, {Name: name, Value: text}})
}
