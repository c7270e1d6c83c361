# A value the source printed whole, "completed" all the same.
# expect: Violation shapes:CompletedByShape-truncated sh:HasValueConstraintComponent id:contact/kita-1-url
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
INSERT DATA { <https://w3id.org/seirei/id/contact/kita-1-url> seirei:completedBy <https://w3id.org/seirei/id/contact-point/kita-association-email> }
