/* crs_proj — PROJ opened when a command first transforms a coordinate or
 * measures a geodesic area, not when ccn starts (see dynlib.h): PROJ and the
 * libraries behind it (libcurl, libtiff, libstdc++) cost every command ~25 ms
 * of CPU before main. Included after <proj.h> and <geodesic.h> by the two
 * modules that call PROJ (crs.c, ctx.c); their calls go through ccn_proj. */
#ifndef CCN_CRS_PROJ_H
#define CCN_CRS_PROJ_H

#include "dynlib.h"

#include <stdbool.h>

#define CCN_PROJ_FUNCTIONS(X) \
    X(proj_context_create) \
    X(proj_context_destroy) \
    X(proj_context_errno) \
    X(proj_context_errno_string) \
    X(proj_context_set_enable_network) \
    X(proj_coord) \
    X(proj_coordoperation_get_method_info) \
    X(proj_coordoperation_get_param) \
    X(proj_coordoperation_get_param_count) \
    X(proj_coordoperation_get_towgs84_values) \
    X(proj_create) \
    X(proj_create_argv) \
    X(proj_create_crs_to_crs_from_pj) \
    X(proj_crs_get_coordoperation) \
    X(proj_crs_get_geodetic_crs) \
    X(proj_destroy) \
    X(proj_get_area_of_use) \
    X(proj_get_source_crs) \
    X(proj_get_type) \
    X(proj_get_name) \
    X(proj_get_id_auth_name) \
    X(proj_get_id_code) \
    X(proj_identify) \
    X(proj_int_list_destroy) \
    X(proj_info) \
    X(proj_create_operation_factory_context) \
    X(proj_operation_factory_context_destroy) \
    X(proj_create_operations) \
    X(proj_list_get_count) \
    X(proj_list_get) \
    X(proj_list_destroy) \
    X(proj_operation_factory_context_set_spatial_criterion) \
    X(proj_operation_factory_context_set_grid_availability_use) \
    X(proj_as_proj_string) \
    X(proj_as_wkt) \
    X(proj_is_equivalent_to) \
    X(proj_log_level) \
    X(proj_normalize_for_visualization) \
    X(proj_trans) \
    X(proj_trans_generic) \
    X(geod_init) \
    X(geod_polygon_addpoint) \
    X(geod_polygon_compute) \
    X(geod_polygon_init)

typedef struct {
    CCN_PROJ_FUNCTIONS(CCN_DYNLIB_POINTER)
} ccn_proj_api;

extern ccn_proj_api ccn_proj;

/* Open PROJ once per process (thread-safe); false with the reason in *why. */
bool ccn_proj_load(const char **why);

#ifndef CCN_CRS_PROJ_IMPL
#define proj_context_create (ccn_proj.proj_context_create)
#define proj_context_destroy (ccn_proj.proj_context_destroy)
#define proj_context_errno (ccn_proj.proj_context_errno)
#define proj_context_errno_string (ccn_proj.proj_context_errno_string)
#define proj_context_set_enable_network (ccn_proj.proj_context_set_enable_network)
#define proj_coord (ccn_proj.proj_coord)
#define proj_coordoperation_get_method_info (ccn_proj.proj_coordoperation_get_method_info)
#define proj_coordoperation_get_param (ccn_proj.proj_coordoperation_get_param)
#define proj_coordoperation_get_param_count (ccn_proj.proj_coordoperation_get_param_count)
#define proj_coordoperation_get_towgs84_values (ccn_proj.proj_coordoperation_get_towgs84_values)
#define proj_create (ccn_proj.proj_create)
#define proj_create_argv (ccn_proj.proj_create_argv)
#define proj_create_crs_to_crs_from_pj (ccn_proj.proj_create_crs_to_crs_from_pj)
#define proj_crs_get_coordoperation (ccn_proj.proj_crs_get_coordoperation)
#define proj_crs_get_geodetic_crs (ccn_proj.proj_crs_get_geodetic_crs)
#define proj_destroy (ccn_proj.proj_destroy)
#define proj_get_area_of_use (ccn_proj.proj_get_area_of_use)
#define proj_get_source_crs (ccn_proj.proj_get_source_crs)
#define proj_get_type (ccn_proj.proj_get_type)
#define proj_get_name (ccn_proj.proj_get_name)
#define proj_get_id_auth_name (ccn_proj.proj_get_id_auth_name)
#define proj_get_id_code (ccn_proj.proj_get_id_code)
#define proj_identify (ccn_proj.proj_identify)
#define proj_int_list_destroy (ccn_proj.proj_int_list_destroy)
#define proj_info (ccn_proj.proj_info)
#define proj_create_operation_factory_context (ccn_proj.proj_create_operation_factory_context)
#define proj_operation_factory_context_destroy (ccn_proj.proj_operation_factory_context_destroy)
#define proj_create_operations (ccn_proj.proj_create_operations)
#define proj_list_get_count (ccn_proj.proj_list_get_count)
#define proj_list_get (ccn_proj.proj_list_get)
#define proj_list_destroy (ccn_proj.proj_list_destroy)
#define proj_operation_factory_context_set_spatial_criterion                                    \
    (ccn_proj.proj_operation_factory_context_set_spatial_criterion)
#define proj_operation_factory_context_set_grid_availability_use                                \
    (ccn_proj.proj_operation_factory_context_set_grid_availability_use)
#define proj_as_proj_string (ccn_proj.proj_as_proj_string)
#define proj_as_wkt (ccn_proj.proj_as_wkt)
#define proj_is_equivalent_to (ccn_proj.proj_is_equivalent_to)
#define proj_log_level (ccn_proj.proj_log_level)
#define proj_normalize_for_visualization (ccn_proj.proj_normalize_for_visualization)
#define proj_trans (ccn_proj.proj_trans)
#define proj_trans_generic (ccn_proj.proj_trans_generic)
#define geod_init (ccn_proj.geod_init)
#define geod_polygon_addpoint (ccn_proj.geod_polygon_addpoint)
#define geod_polygon_compute (ccn_proj.geod_polygon_compute)
#define geod_polygon_init (ccn_proj.geod_polygon_init)
#endif

#endif
