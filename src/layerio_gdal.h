/* layerio_gdal — GDAL loaded when a command first reads or writes a file,
 * not when ccn starts (included by layerio.c only, after GDAL's headers).
 *
 * Debian's libgdal brings some 120 libraries (codecs, PDF, HDF, curl …) whose
 * loading and relocation cost every ccn command ~40 ms of CPU before main:
 * a third of what a question about one cluster needs in all. So ccn is not
 * linked against it: layerio_gdal.c opens it with dlopen on first use and
 * looks up each function below, and the #defines at the end of this file
 * send layerio.c's calls through that table, checked against GDAL's own
 * prototypes (__typeof__), so the code reads as plain GDAL calls. */
#ifndef CCN_LAYERIO_GDAL_H
#define CCN_LAYERIO_GDAL_H

#include <stdbool.h>
#include <stddef.h>

#define CCN_GDAL_FUNCTIONS(X) \
    X(CPLErrorReset) \
    X(CPLGetConfigOption) \
    X(CPLSetConfigOption) \
    X(CPLSetThreadLocalConfigOption) \
    X(VSIFree) \
    X(CPLGetLastErrorMsg) \
    X(CPLGetLastErrorType) \
    X(CPLPopErrorHandler) \
    X(CPLPushErrorHandler) \
    X(CPLPushErrorHandlerEx) \
    X(CPLGetErrorHandlerUserData) \
    X(CPLQuietErrorHandler) \
    X(CPLStrdup) \
    X(CPLMalloc) \
    X(CPLRealloc) \
    X(CPLGetFilename) \
    X(CSLDestroy) \
    X(VSIFOpenL) \
    X(VSIFReadL) \
    X(VSIFCloseL) \
    X(CPLReadLine2L) \
    X(VSIReadDir) \
    X(VSIStatL) \
    X(GDALGetDescription) \
    X(GDALGetFileList) \
    X(OGR_F_GetNativeData) \
    X(GDALAllRegister) \
    X(GDALClose) \
    X(GDALCreate) \
    X(GDALDatasetCommitTransaction) \
    X(GDALDatasetCreateLayer) \
    X(GDALDatasetDeleteLayer) \
    X(GDALDatasetExecuteSQL) \
    X(GDALDatasetReleaseResultSet) \
    X(GDALDatasetGetLayer) \
    X(GDALDatasetGetLayerByName) \
    X(GDALDatasetGetLayerCount) \
    X(GDALDatasetRollbackTransaction) \
    X(GDALDatasetStartTransaction) \
    X(GDALDatasetTestCapability) \
    X(GDALGetDatasetDriver) \
    X(GDALGetDriverByName) \
    X(GDALGetDriverShortName) \
    X(GDALOpenEx) \
    X(OGR_FD_GetFieldCount) \
    X(OGR_FD_GetFieldDefn) \
    X(OGR_FD_GetGeomFieldCount) \
    X(OGR_FD_GetGeomFieldDefn) \
    X(OGR_GFld_GetNameRef) \
    X(OGR_F_Create) \
    X(OGR_F_Destroy) \
    X(OGR_F_GetDefnRef) \
    X(OGR_F_GetFID) \
    X(OGR_F_GetFieldAsString) \
    X(OGR_F_GetFieldAsInteger) \
    X(OGR_F_GetFieldAsInteger64) \
    X(OGR_F_GetGeometryRef) \
    X(OGR_F_IsFieldSetAndNotNull) \
    X(OGR_F_SetFID) \
    X(OGR_F_SetFieldNull) \
    X(OGR_F_SetFieldString) \
    X(OGR_F_SetGeometryDirectly) \
    X(OGR_Fld_Create) \
    X(OGR_Fld_Destroy) \
    X(OGR_Fld_GetNameRef) \
    X(OGR_Fld_GetType) \
    X(OGR_Fld_GetSubType) \
    X(OGR_Fld_GetWidth) \
    X(OGR_F_GetFieldAsDouble) \
    X(OGR_Fld_SetPrecision) \
    X(OGR_Fld_SetSubType) \
    X(OGR_Fld_SetWidth) \
    X(OGR_GT_Flatten) \
    X(OGR_G_Clone) \
    X(OGR_G_CreateFromWkbEx) \
    X(OGR_G_DestroyGeometry) \
    X(OGR_G_ExportToIsoWkb) \
    X(OGR_G_FlattenTo2D) \
    X(OGR_G_ForceToMultiPolygon) \
    X(OGR_G_GetGeometryCount) \
    X(OGR_G_GetGeometryName) \
    X(OGR_G_GetGeometryRef) \
    X(OGR_G_GetGeometryType) \
    X(OGR_G_GetLinearGeometry) \
    X(OGR_G_GetPointCount) \
    X(OGR_G_GetX) \
    X(OGR_G_GetY) \
    X(OGR_G_HasCurveGeometry) \
    X(OGR_G_Is3D) \
    X(OGR_G_IsMeasured) \
    X(OGR_G_WkbSize) \
    X(OGR_L_CreateFeature) \
    X(OGR_L_CreateField) \
    X(OGR_L_GetFeatureCount) \
    X(OGR_L_GetFIDColumn) \
    X(OGR_L_GetGeomType) \
    X(OGR_L_GetLayerDefn) \
    X(OGR_L_GetName) \
    X(OGR_L_GetNextFeature) \
    X(OGR_L_GetSpatialRef) \
    X(OGR_L_ResetReading) \
    X(OSRDestroySpatialReference) \
    X(OSRExportToWktEx) \
    X(OSRGetName) \
    X(OSRGetAuthorityName) \
    X(OSRNewSpatialReference) \
    X(OSRSetAxisMappingStrategy) \
    X(OSRSetFromUserInput)

typedef struct {
#define CCN_GDAL_POINTER(name) __typeof__(name) *name;
    CCN_GDAL_FUNCTIONS(CCN_GDAL_POINTER)
#undef CCN_GDAL_POINTER
} ccn_gdal_api;

extern ccn_gdal_api ccn_gdal;

/* Open GDAL and look up every function, once per process (thread-safe);
 * false with the reason in why (a static string) if it cannot be loaded. */
bool ccn_gdal_load(const char **why);

#ifndef CCN_LAYERIO_GDAL_IMPL
#define CPLErrorReset (ccn_gdal.CPLErrorReset)
#define CPLMalloc (ccn_gdal.CPLMalloc)
#define CPLRealloc (ccn_gdal.CPLRealloc)
#define CPLGetFilename (ccn_gdal.CPLGetFilename)
#define CSLDestroy (ccn_gdal.CSLDestroy)
#define VSIFOpenL (ccn_gdal.VSIFOpenL)
#define VSIFReadL (ccn_gdal.VSIFReadL)
#define VSIFCloseL (ccn_gdal.VSIFCloseL)
#define CPLReadLine2L (ccn_gdal.CPLReadLine2L)
#define VSIReadDir (ccn_gdal.VSIReadDir)
#define VSIStatL (ccn_gdal.VSIStatL)
#define GDALGetDescription (ccn_gdal.GDALGetDescription)
#define GDALGetFileList (ccn_gdal.GDALGetFileList)
#define OGR_F_GetNativeData (ccn_gdal.OGR_F_GetNativeData)
#define CPLGetConfigOption (ccn_gdal.CPLGetConfigOption)
#define CPLSetConfigOption (ccn_gdal.CPLSetConfigOption)
#define CPLSetThreadLocalConfigOption (ccn_gdal.CPLSetThreadLocalConfigOption)
#define VSIFree (ccn_gdal.VSIFree)
#define CPLGetLastErrorMsg (ccn_gdal.CPLGetLastErrorMsg)
#define CPLGetLastErrorType (ccn_gdal.CPLGetLastErrorType)
#define CPLPopErrorHandler (ccn_gdal.CPLPopErrorHandler)
#define CPLPushErrorHandler (ccn_gdal.CPLPushErrorHandler)
#define CPLPushErrorHandlerEx (ccn_gdal.CPLPushErrorHandlerEx)
#define CPLGetErrorHandlerUserData (ccn_gdal.CPLGetErrorHandlerUserData)
#define CPLQuietErrorHandler (ccn_gdal.CPLQuietErrorHandler)
#define CPLStrdup (ccn_gdal.CPLStrdup)
#define GDALAllRegister (ccn_gdal.GDALAllRegister)
#define GDALClose (ccn_gdal.GDALClose)
#define GDALCreate (ccn_gdal.GDALCreate)
#define GDALDatasetCommitTransaction (ccn_gdal.GDALDatasetCommitTransaction)
#define GDALDatasetCreateLayer (ccn_gdal.GDALDatasetCreateLayer)
#define GDALDatasetDeleteLayer (ccn_gdal.GDALDatasetDeleteLayer)
#define GDALDatasetExecuteSQL (ccn_gdal.GDALDatasetExecuteSQL)
#define GDALDatasetReleaseResultSet (ccn_gdal.GDALDatasetReleaseResultSet)
#define GDALDatasetGetLayer (ccn_gdal.GDALDatasetGetLayer)
#define GDALDatasetGetLayerByName (ccn_gdal.GDALDatasetGetLayerByName)
#define GDALDatasetGetLayerCount (ccn_gdal.GDALDatasetGetLayerCount)
#define GDALDatasetRollbackTransaction (ccn_gdal.GDALDatasetRollbackTransaction)
#define GDALDatasetStartTransaction (ccn_gdal.GDALDatasetStartTransaction)
#define GDALDatasetTestCapability (ccn_gdal.GDALDatasetTestCapability)
#define GDALGetDatasetDriver (ccn_gdal.GDALGetDatasetDriver)
#define GDALGetDriverByName (ccn_gdal.GDALGetDriverByName)
#define GDALGetDriverShortName (ccn_gdal.GDALGetDriverShortName)
#define GDALOpenEx (ccn_gdal.GDALOpenEx)
#define OGR_FD_GetFieldCount (ccn_gdal.OGR_FD_GetFieldCount)
#define OGR_FD_GetFieldDefn (ccn_gdal.OGR_FD_GetFieldDefn)
#define OGR_FD_GetGeomFieldCount (ccn_gdal.OGR_FD_GetGeomFieldCount)
#define OGR_FD_GetGeomFieldDefn (ccn_gdal.OGR_FD_GetGeomFieldDefn)
#define OGR_GFld_GetNameRef (ccn_gdal.OGR_GFld_GetNameRef)
#define OGR_F_Create (ccn_gdal.OGR_F_Create)
#define OGR_F_Destroy (ccn_gdal.OGR_F_Destroy)
#define OGR_F_GetDefnRef (ccn_gdal.OGR_F_GetDefnRef)
#define OGR_F_GetFID (ccn_gdal.OGR_F_GetFID)
#define OGR_F_GetFieldAsString (ccn_gdal.OGR_F_GetFieldAsString)
#define OGR_F_GetFieldAsInteger (ccn_gdal.OGR_F_GetFieldAsInteger)
#define OGR_F_GetFieldAsInteger64 (ccn_gdal.OGR_F_GetFieldAsInteger64)
#define OGR_F_GetGeometryRef (ccn_gdal.OGR_F_GetGeometryRef)
#define OGR_F_IsFieldSetAndNotNull (ccn_gdal.OGR_F_IsFieldSetAndNotNull)
#define OGR_F_SetFID (ccn_gdal.OGR_F_SetFID)
#define OGR_F_SetFieldNull (ccn_gdal.OGR_F_SetFieldNull)
#define OGR_F_SetFieldString (ccn_gdal.OGR_F_SetFieldString)
#define OGR_F_SetGeometryDirectly (ccn_gdal.OGR_F_SetGeometryDirectly)
#define OGR_Fld_Create (ccn_gdal.OGR_Fld_Create)
#define OGR_Fld_Destroy (ccn_gdal.OGR_Fld_Destroy)
#define OGR_Fld_GetNameRef (ccn_gdal.OGR_Fld_GetNameRef)
#define OGR_Fld_GetType (ccn_gdal.OGR_Fld_GetType)
#define OGR_Fld_GetSubType (ccn_gdal.OGR_Fld_GetSubType)
#define OGR_Fld_GetWidth (ccn_gdal.OGR_Fld_GetWidth)
#define OGR_F_GetFieldAsDouble (ccn_gdal.OGR_F_GetFieldAsDouble)
#define OGR_Fld_SetPrecision (ccn_gdal.OGR_Fld_SetPrecision)
#define OGR_Fld_SetSubType (ccn_gdal.OGR_Fld_SetSubType)
#define OGR_Fld_SetWidth (ccn_gdal.OGR_Fld_SetWidth)
#define OGR_GT_Flatten (ccn_gdal.OGR_GT_Flatten)
#define OGR_G_Clone (ccn_gdal.OGR_G_Clone)
#define OGR_G_CreateFromWkbEx (ccn_gdal.OGR_G_CreateFromWkbEx)
#define OGR_G_DestroyGeometry (ccn_gdal.OGR_G_DestroyGeometry)
#define OGR_G_ExportToIsoWkb (ccn_gdal.OGR_G_ExportToIsoWkb)
#define OGR_G_FlattenTo2D (ccn_gdal.OGR_G_FlattenTo2D)
#define OGR_G_ForceToMultiPolygon (ccn_gdal.OGR_G_ForceToMultiPolygon)
#define OGR_G_GetGeometryCount (ccn_gdal.OGR_G_GetGeometryCount)
#define OGR_G_GetGeometryName (ccn_gdal.OGR_G_GetGeometryName)
#define OGR_G_GetGeometryRef (ccn_gdal.OGR_G_GetGeometryRef)
#define OGR_G_GetGeometryType (ccn_gdal.OGR_G_GetGeometryType)
#define OGR_G_GetLinearGeometry (ccn_gdal.OGR_G_GetLinearGeometry)
#define OGR_G_GetPointCount (ccn_gdal.OGR_G_GetPointCount)
#define OGR_G_GetX (ccn_gdal.OGR_G_GetX)
#define OGR_G_GetY (ccn_gdal.OGR_G_GetY)
#define OGR_G_HasCurveGeometry (ccn_gdal.OGR_G_HasCurveGeometry)
#define OGR_G_Is3D (ccn_gdal.OGR_G_Is3D)
#define OGR_G_IsMeasured (ccn_gdal.OGR_G_IsMeasured)
#define OGR_G_WkbSize (ccn_gdal.OGR_G_WkbSize)
#define OGR_L_CreateFeature (ccn_gdal.OGR_L_CreateFeature)
#define OGR_L_CreateField (ccn_gdal.OGR_L_CreateField)
#define OGR_L_GetFeatureCount (ccn_gdal.OGR_L_GetFeatureCount)
#define OGR_L_GetFIDColumn (ccn_gdal.OGR_L_GetFIDColumn)
#define OGR_L_GetGeomType (ccn_gdal.OGR_L_GetGeomType)
#define OGR_L_GetLayerDefn (ccn_gdal.OGR_L_GetLayerDefn)
#define OGR_L_GetName (ccn_gdal.OGR_L_GetName)
#define OGR_L_GetNextFeature (ccn_gdal.OGR_L_GetNextFeature)
#define OGR_L_GetSpatialRef (ccn_gdal.OGR_L_GetSpatialRef)
#define OGR_L_ResetReading (ccn_gdal.OGR_L_ResetReading)
#define OSRDestroySpatialReference (ccn_gdal.OSRDestroySpatialReference)
#define OSRExportToWktEx (ccn_gdal.OSRExportToWktEx)
#define OSRGetName (ccn_gdal.OSRGetName)
#define OSRGetAuthorityName (ccn_gdal.OSRGetAuthorityName)
#define OSRNewSpatialReference (ccn_gdal.OSRNewSpatialReference)
#define OSRSetAxisMappingStrategy (ccn_gdal.OSRSetAxisMappingStrategy)
#define OSRSetFromUserInput (ccn_gdal.OSRSetFromUserInput)
#endif

#endif
