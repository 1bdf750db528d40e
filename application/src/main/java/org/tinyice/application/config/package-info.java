/**
 * The configuration model: immutable records that hold every setting of tinyice.json, and
 * CurrentConfig, the one in force.
 */
package org.tinyice.application.config;
