package dma

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConfigExtendsTable checks that the [dma] section of the config file
// shared with refcount adds a subsystem's wrappers to the table and the
// engine spec.
func TestConfigExtendsTable(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "kcheck.conf")
	text := `[refcount]
acquire foo_get family=of_node object=ret when=success fail=null
[dma]
acquire   foo_map_buf   family=dma_map object=ret when=success fail=checker checker=foo_map_failed:0
release   foo_unmap_buf family=dma_map arg=1
predicate foo_map_failed arg=0
`
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	tab, err := tableFor(map[string]string{OptionConfig: conf})
	if err != nil {
		t.Fatal(err)
	}
	if a := tab.Lookup("foo_map_buf"); a == nil || a.Kind != Map || a.Failure != FailMappingError {
		t.Errorf("foo_map_buf = %+v, want a Map tested like dma_map_single", a)
	}
	if a := tab.Lookup("foo_unmap_buf"); a == nil || a.Kind != Unmap || a.Handle != 1 {
		t.Errorf("foo_unmap_buf = %+v, want an Unmap of argument 1", a)
	}
	if a := tab.Lookup("foo_map_failed"); a == nil || a.Kind != Check || a.Handle != 0 {
		t.Errorf("foo_map_failed = %+v, want a Check of argument 0", a)
	}
	if tab.Lookup("foo_get") != nil {
		t.Error("the [refcount] section leaked into the dma table")
	}
	spec := resourceSpec(tab)
	found := false
	for _, r := range spec.Releases {
		if r.Func == "foo_unmap_buf" && r.Family == "dma_map" && r.Arg == 1 {
			found = true
		}
	}
	if !found {
		t.Error("foo_unmap_buf missing from the engine spec")
	}
}

// TestDefaultSpecIsValid checks the built-in table converts into a valid
// engine table, every release belonging to a family.
func TestDefaultSpecIsValid(t *testing.T) {
	spec := resourceSpec(DefaultTable())
	if len(spec.Acquires) == 0 || len(spec.Releases) == 0 || len(spec.Predicates) != 1 {
		t.Fatalf("spec: %d acquires, %d releases, %d predicates", len(spec.Acquires), len(spec.Releases), len(spec.Predicates))
	}
	for _, a := range spec.Acquires {
		if a.Func == "dmam_alloc_coherent" || a.Func == "dmam_alloc_attrs" {
			t.Errorf("managed %s must not be an acquire", a.Func)
		}
	}
}
