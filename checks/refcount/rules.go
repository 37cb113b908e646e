package refcount

import "kcheck/checks"

var rules = []*checks.Rule{
	{
		ID:    "refcount/leak",
		Name:  "ReferenceLeak",
		Short: "A reference taken in the function is neither released nor handed off on some path to exit.",
		Full: "A path from the acquisition (pm_runtime_get_sync, of_find_*, of_get_next_child in a for_each loop, get_device, usb_get_dev, " +
			"a failed device_register or kobject_init_and_add, or a driver's own wrapper learned from its body) to a return keeps the reference: " +
			"it is not released, returned, stored into a struct field or global, or passed to a function that takes it. The code flow shows " +
			"the path: the acquisition, the condition taken at each branch, and the return.",
		Help: "Release the reference on the path shown (pm_runtime_put_noidle after a failed pm_runtime_get_sync, of_node_put before " +
			"leaving a for_each_child_of_node loop, put_device instead of kfree after a failed device_register), or use the variant that " +
			"does it for you (pm_runtime_resume_and_get).",
		HelpMarkdown: "Release the reference on every path.\n\nBad:\n\n```c\nret = pm_runtime_get_sync(dev);\nif (ret < 0)\n\treturn ret; /* usage count leaked */\n```\n\n" +
			"Good:\n\n```c\nret = pm_runtime_resume_and_get(dev);\nif (ret < 0)\n\treturn ret;\n```\n",
		Level:     checks.LevelWarning,
		Tags:      []string{"refcount", "resource-leak", "external/cwe/cwe-911"},
		Precision: "high",
	},
	{
		ID:    "refcount/put-unowned",
		Name:  "ReferencePutUnowned",
		Short: "A reference is released that this path already released or dropped.",
		Full: "The path releases a reference it no longer owns: a second of_node_put, an of_node_put of a node that of_find_*(from) or " +
			"of_get_next_child(prev) already dropped. The count goes below what the owners hold, and the object can be freed under them.",
		Help:         "Remove the extra put, or take a reference (of_node_get) before passing the node as `from` if it is still needed.",
		HelpMarkdown: "Bad:\n\n```c\nnp = of_find_compatible_node(parent, NULL, \"x\"); /* drops parent */\nof_node_put(parent);\n```\n\nGood: drop only one of them.\n",
		Level:        checks.LevelWarning,
		Tags:         []string{"refcount", "external/cwe/cwe-911"},
		Precision:    "high",
	},
	{
		ID:    "refcount/use-after-put",
		Name:  "ReferenceUseAfterPut",
		Short: "An object is dereferenced after its last reference in the function was released.",
		Full: "On one path the function releases its reference on an object (of_node_put, put_device, usb_put_dev) and then dereferences " +
			"the same pointer: the release may have freed it.",
		Help:         "Move the release after the last use.",
		HelpMarkdown: "Bad:\n\n```c\nof_node_put(np);\nname = np->name;\n```\n\nGood:\n\n```c\nname = np->name;\nof_node_put(np);\n```\n",
		Level:        checks.LevelWarning,
		Tags:         []string{"refcount", "external/cwe/cwe-416"},
		Precision:    "high",
	},
	{
		ID:    "refcount/incomplete",
		Name:  "ReferenceAnalysisBounded",
		Short: "The function's paths were too many to explore within the bound; leaks on unexplored paths are not reported.",
		Full: "Path exploration merges identical states per block and stops a function after a fixed number of block visits; this note " +
			"says the bound was hit, so a silent run does not prove the function balanced.",
		Help:         "Nothing to fix in the code; split very long functions if you want them checked fully.",
		HelpMarkdown: "The analysis of this function was bounded. Nothing to fix in the code.",
		Level:        checks.LevelNote,
		Tags:         []string{"refcount", "analysis"},
		Precision:    "very-high",
	},
}
