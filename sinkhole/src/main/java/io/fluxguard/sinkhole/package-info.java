/**
 * What a blocked client receives (sinkhole A/AAAA, NXDOMAIN or NODATA, Extended DNS Errors) and
 * the sinkhole listener that records which workstations then connect. Not built yet.
 */
package io.fluxguard.sinkhole;
