# A contact route with two pages.
# expect: Violation shapes:ContactPointShape-url sh:MaxCountConstraintComponent id:contact-point/kita-bureau-page
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
INSERT DATA { <https://w3id.org/seirei/id/contact-point/kita-bureau-page> schema:url <https://www.city.kita.example.org/somu/form/> }
