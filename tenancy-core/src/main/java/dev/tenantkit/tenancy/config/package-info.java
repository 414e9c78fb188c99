/**
 * Framework-neutral host configuration: {@link dev.tenantkit.tenancy.config.Settings} reads flat
 * string key/values (servlet init-params, Spring Boot properties, a properties file) with typed
 * getters whose errors name the key, so every host feeds the same builders through the same rules.
 */
package dev.tenantkit.tenancy.config;
