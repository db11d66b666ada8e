package io.payledger.command.security;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Lets web slice tests in other packages use the real security configuration. */
@Configuration(proxyBeanMethods = false)
@Import(SecurityConfiguration.class)
public class TestSecurityImports {
}
