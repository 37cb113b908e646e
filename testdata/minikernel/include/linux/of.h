/* SPDX-License-Identifier: GPL-2.0+ */
#ifndef _LINUX_OF_H
#define _LINUX_OF_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kobject.h>
#include <linux/mod_devicetable.h>

typedef u32 phandle;

struct property {
	char		*name;
	int		length;
	void		*value;
	struct property	*next;
};

struct device_node {
	const char		*name;
	phandle			phandle;
	const char		*full_name;
	struct property		*properties;
	struct device_node	*parent;
	struct device_node	*child;
	struct device_node	*sibling;
	struct kobject		kobj;
	unsigned long		_flags;
	void			*data;
};

#define MAX_PHANDLE_ARGS 16
struct of_phandle_args {
	struct device_node *np;
	int args_count;
	uint32_t args[MAX_PHANDLE_ARGS];
};

#ifdef CONFIG_OF_DYNAMIC
extern struct device_node *of_node_get(struct device_node *node);
extern void of_node_put(struct device_node *node);
#else
static inline struct device_node *of_node_get(struct device_node *node)
{
	return node;
}
static inline void of_node_put(struct device_node *node) { }
#endif

#ifdef CONFIG_OF
/* All of these return a node with its refcount raised, or NULL. */
extern struct device_node *of_find_node_by_name(struct device_node *from,
						const char *name);
extern struct device_node *of_find_compatible_node(struct device_node *from,
						   const char *type, const char *compat);
extern struct device_node *of_find_node_opts_by_path(const char *path,
						     const char **opts);
extern struct device_node *of_get_parent(const struct device_node *node);
extern struct device_node *of_get_next_child(const struct device_node *node,
					     struct device_node *prev);
extern struct device_node *of_get_next_available_child(const struct device_node *node,
						       struct device_node *prev);
extern struct device_node *of_get_child_by_name(const struct device_node *node,
						const char *name);
extern int __of_parse_phandle_with_args(const struct device_node *np,
					const char *list_name, const char *cells_name,
					int cell_count, int index,
					struct of_phandle_args *out_args);

extern const void *of_get_property(const struct device_node *node,
				   const char *name, int *lenp);
extern int of_property_read_variable_u32_array(const struct device_node *np,
					       const char *propname, u32 *out_values,
					       size_t sz_min, size_t sz_max);
extern int of_property_read_string(const struct device_node *np,
				   const char *propname, const char **out_string);
extern int of_device_is_compatible(const struct device_node *device,
				   const char *compat);
extern bool of_device_is_available(const struct device_node *device);
#else
static inline struct device_node *of_find_node_by_name(struct device_node *from,
						       const char *name)
{
	return NULL;
}
static inline struct device_node *of_find_compatible_node(struct device_node *from,
							  const char *type, const char *compat)
{
	return NULL;
}
static inline struct device_node *of_find_node_opts_by_path(const char *path,
							    const char **opts)
{
	return NULL;
}
static inline struct device_node *of_get_parent(const struct device_node *node)
{
	return NULL;
}
static inline struct device_node *of_get_next_child(const struct device_node *node,
						    struct device_node *prev)
{
	return NULL;
}
static inline struct device_node *of_get_next_available_child(const struct device_node *node,
							      struct device_node *prev)
{
	return NULL;
}
static inline struct device_node *of_get_child_by_name(const struct device_node *node,
						       const char *name)
{
	return NULL;
}
static inline int __of_parse_phandle_with_args(const struct device_node *np,
					       const char *list_name, const char *cells_name,
					       int cell_count, int index,
					       struct of_phandle_args *out_args)
{
	return -ENOSYS;
}
static inline const void *of_get_property(const struct device_node *node,
					  const char *name, int *lenp)
{
	return NULL;
}
static inline int of_property_read_variable_u32_array(const struct device_node *np,
						      const char *propname, u32 *out_values,
						      size_t sz_min, size_t sz_max)
{
	return -ENOSYS;
}
static inline int of_property_read_string(const struct device_node *np,
					  const char *propname, const char **out_string)
{
	return -ENOSYS;
}
static inline int of_device_is_compatible(const struct device_node *device,
					  const char *compat)
{
	return 0;
}
static inline bool of_device_is_available(const struct device_node *device)
{
	return false;
}
#endif /* CONFIG_OF */

static inline struct device_node *of_find_node_by_path(const char *path)
{
	return of_find_node_opts_by_path(path, NULL);
}

/* Returns the node @index-th phandle in @phandle_name points at, referenced. */
static inline struct device_node *of_parse_phandle(const struct device_node *np,
						   const char *phandle_name,
						   int index)
{
	struct of_phandle_args args;

	if (__of_parse_phandle_with_args(np, phandle_name, NULL, 0,
					 index, &args))
		return NULL;

	return args.np;
}

static inline int of_property_read_u32_array(const struct device_node *np,
					     const char *propname,
					     u32 *out_values, size_t sz)
{
	int ret = of_property_read_variable_u32_array(np, propname, out_values,
						      sz, 0);
	if (ret >= 0)
		return 0;
	else
		return ret;
}

static inline int of_property_read_u32(const struct device_node *np,
				       const char *propname, u32 *out_value)
{
	return of_property_read_u32_array(np, propname, out_value, 1);
}

static inline bool of_property_read_bool(const struct device_node *np,
					 const char *propname)
{
	return of_get_property(np, propname, NULL) ? true : false;
}

#define for_each_child_of_node(parent, child) \
	for (child = of_get_next_child(parent, NULL); child != NULL; \
	     child = of_get_next_child(parent, child))

#define for_each_available_child_of_node(parent, child) \
	for (child = of_get_next_available_child(parent, NULL); child != NULL; \
	     child = of_get_next_available_child(parent, child))

#define for_each_compatible_node(dn, type, compatible) \
	for (dn = of_find_compatible_node(NULL, type, compatible); dn; \
	     dn = of_find_compatible_node(dn, type, compatible))

#ifdef CONFIG_OF
#define of_match_ptr(_ptr)	(_ptr)
#else
#define of_match_ptr(_ptr)	NULL
#endif

#endif /* _LINUX_OF_H */
