/*
 * Automatically generated file; DO NOT EDIT.
 * kcheck miniature test tree 6.1.0 Configuration
 */
#define CONFIG_X86 1
#define CONFIG_X86_64 1
#define CONFIG_64BIT 1
#define CONFIG_SMP 1
#define CONFIG_FRAME_WARN 2048
#define CONFIG_PM 1
#define CONFIG_OF 1
#define CONFIG_OF_DYNAMIC 1
#define CONFIG_HAS_DMA 1
#define CONFIG_ARCH_DMA_ADDR_T_64BIT 1
#define CONFIG_USB 1
#define CONFIG_USB_MINIHUB 1
#define CONFIG_MINI_DMA 1
#define CONFIG_MINI_PM 1
#define CONFIG_MINI_STACK 1
#define CONFIG_MINI_BUS 1
