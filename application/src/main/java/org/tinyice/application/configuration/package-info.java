/**
 * Loading, preparing, reloading (SIGHUP) and saving the configuration; ConfigChanges is the one
 * place a change is saved and put in force.
 */
package org.tinyice.application.configuration;
