# A contact route derived from something that is not a web page.
# expect: Violation shapes:ContactPointShape-source sh:NodeConstraintComponent id:contact-point/kita-division-telephone
# expect: Violation shapes:DerivedShape-source sh:OrConstraintComponent id:contact-point/kita-division-telephone
# cause: shapes:HttpUrlShape sh:NodeKindConstraintComponent
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
DELETE DATA { <https://w3id.org/seirei/id/contact-point/kita-division-telephone> prov:wasDerivedFrom <https://www.city.kita.example.org/somu/kokusai/> } ;
INSERT DATA { <https://w3id.org/seirei/id/contact-point/kita-division-telephone> prov:wasDerivedFrom "https://www.city.kita.example.org/somu/kokusai/" }
